-- mixed.lua — anonymous traffic for wrk in the benchmark: public meeting
-- pages (ids in BENCH_IDS, comma-separated), searches and lists, in turn.
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "1", "%d+") do
  table.insert(ids, id)
end
local searches = {
  "r%C3%A9union", "logement+urgence", "%22parcours+d%27int%C3%A9gration%22",
  "mobilit%C3%A9+v%C3%A9lo", "accomp*", "sant%C3%A9+mentale+pr%C3%A9vention",
}
local lists = { "/", "/meetings", "/bodies", "/meetings?page=40" }
local n = 0

function request()
  n = n + 1
  if n % 4 == 0 then
    return wrk.format("GET", "/search?q=" .. searches[n % #searches + 1])
  elseif n % 4 == 2 then
    return wrk.format("GET", lists[n % #lists + 1])
  end
  return wrk.format("GET", "/meetings/" .. ids[n % #ids + 1])
end
