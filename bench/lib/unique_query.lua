-- wrk script: every request is a filter combination never sent before (&budget_min=N, N = 1, 2, 3…: budgets are
-- thousands of euro, so the same projects with a budget are listed each time), so no page is found in the page
-- cache, while everything
-- the page is built from (the catalogue cards, the filter choices) may be: the case of a page nobody asked for since
-- the last content edit. Each page is then stored, as in production. wrk runs with one thread, so one counter.
counter = 0

request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&budget_min=" .. counter)
end
