local function fib_mod(n, m)
  local a = 0
  local b = 1
  for i = 0, n - 1 do
    local t = (a + b) % m
    a = b
    b = t
  end
  return a
end

local function main()
  local line = io.read("*l")
  local n = 200000
  if line and line ~= "" then n = tonumber(line) end
  local total = 0
  for r = 0, n - 1 do
    total = (total + fib_mod(100 + r % 50, 1000003)) % 1000000007
  end
  print(total)
end

main()
