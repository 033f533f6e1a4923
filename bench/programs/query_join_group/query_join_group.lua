local function main()
  local line = io.read("*l")
  local n = 1000000
  if line and line ~= "" then n = tonumber(line) end
  local ncust = math.floor(n / 10)
  local seed = 42
  local orders = {}
  for i = 0, n - 1 do
    seed = (seed * 48271) % 2147483647
    local cust = seed % ncust
    seed = (seed * 48271) % 2147483647
    orders[#orders + 1] = { id = i, cust = cust, amount = seed % 1000 }
  end
  local customers = {}
  for c = 0, ncust - 1 do
    customers[#customers + 1] = { id = c, region = c % 7 }
  end
  -- 1. Hash join: index the customers by id (a list per key), probe with each order.
  local by_id = {}
  for _, c in ipairs(customers) do
    local l = by_id[c.id]
    if l == nil then
      l = {}
      by_id[c.id] = l
    end
    l[#l + 1] = c
  end
  local total = 0
  for _, o in ipairs(orders) do
    local l = by_id[o.cust]
    if l ~= nil then
      for _, c in ipairs(l) do
        if c.region ~= 3 then
          total = total + o.amount * c.region
        end
      end
    end
  end
  -- 2. Group by: a table of {count, sum, max} and the keys in first-seen order.
  local groups = {}
  local order = {}
  for _, o in ipairs(orders) do
    local k = o.cust % 100
    local a = o.amount
    local g = groups[k]
    if g == nil then
      groups[k] = { 1, a, a }
      order[#order + 1] = k
    else
      g[1] = g[1] + 1
      g[2] = g[2] + a
      if a > g[3] then g[3] = a end
    end
  end
  local gsum = 0
  for _, k in ipairs(order) do
    local g = groups[k]
    gsum = (gsum * 31 + k * 7 + g[1] * 3 + g[2] + g[3]) % 1000000007
  end
  -- 3. Nested-loop join.
  local m = math.floor(n / 200)
  local pairs = 0
  for i = 1, m do
    local a = orders[i]
    for j = 1, m do
      if a.amount + orders[j].amount == 999 then
        pairs = pairs + 1
      end
    end
  end
  print(total .. " " .. gsum .. " " .. pairs)
end

main()
