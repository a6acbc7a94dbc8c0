-- uncached.lua — the same page for wrk, but at an address new to the page
-- cache each time (a « passage » parameter the page ignores): the page is
-- made for every request.
local n = 0

function request()
  n = n + 1
  return wrk.format("GET", wrk.path .. "?passage=" .. n)
end
