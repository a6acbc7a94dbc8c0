-- load.lua — the mixed traffic of the load test for wrk: nine reads (the
-- pages people open most, a search, the API) for one write (a new letter),
-- as a logged-in coordinator. LOAD_COOKIE and LOAD_CSRF come from
-- the test, which logged in first. At the end, one line for the test:
-- requests, errors by kind, acknowledged writes and latency percentiles.

local cookie = os.getenv("LOAD_COOKIE") or ""
local csrf = os.getenv("LOAD_CSRF") or ""
local reads = {
  "/", "/meetings", "/letters", "/interpellations", "/bodies",
  "/search?q=r%C3%A9union+logement", "/motions/commune-hospitaliere",
  "/api/v1/meetings", "/communes",
}
local threads = {}
local n, id = 0, 0
writes = 0 -- global: done() reads it from each thread

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  id = wrk.thread:get("id")
end

function request()
  n = n + 1
  local headers = { ["Cookie"] = cookie }
  if n % 10 == 0 then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "_csrf=" .. csrf .. "&title=Charge+" .. id .. "-" .. n ..
      "&date=2026-01-01&kind=memo&level=region&status=draft&visibility=internal&body_id=0"
    return wrk.format("POST", "/letters", headers, body)
  end
  return wrk.format("GET", reads[n % #reads + 1], headers)
end

function response(status, headers, body)
  if status == 303 then
    writes = writes + 1
  end
end

function done(summary, latency, requests)
  local acked = 0
  for _, t in ipairs(threads) do
    acked = acked + t:get("writes")
  end
  local e = summary.errors
  io.write(string.format("charge: requetes=%d statut=%d connexion=%d lecture=%d " ..
    "ecriture=%d delai=%d ecritures=%d p50=%.1f p99=%.1f max=%.1f\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, acked,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
