-- wrk script: every request gets a query string never sent before (&utm_source=benchN), so no page is found in the
-- page cache, while everything the page is built from (the catalogue cards, the filter choices) may be: the case of a
-- page nobody asked for since the last content edit. wrk runs with one thread (bench/lib/load.py), so one counter.
counter = 0

request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&utm_source=bench" .. counter)
end
