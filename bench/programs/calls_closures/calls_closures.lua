local function add(a, b)
  return a + b
end

local function apply(f, x)
  return f(x)
end

local function make_adder(k)
  return function(x) return x + k end
end

local function compose(f, g)
  return function(x) return f(g(x)) end
end

local function make_counter()
  local n = 0
  return function()
    n = n + 1
    return n
  end
end

local function main()
  local line = io.read("*l")
  local n = 2000000
  if line and line ~= "" then n = tonumber(line) end
  local counter = make_counter()
  local adders = {}
  for k = 0, 6 do
    adders[#adders + 1] = make_adder(k * 3)
  end
  local total = 0
  for i = 0, n - 1 do
    local f = make_adder(i % 10)
    local g = compose(f, adders[i % 7 + 1])
    total = (total + apply(g, i) + add(i, 1) + counter()) % 1000003
  end
  print(total .. " " .. counter())
end

main()
