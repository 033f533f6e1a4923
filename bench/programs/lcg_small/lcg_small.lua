-- Linear congruential loop x = (x * 31 + 7) % m with m = 2^40: every value stays below 2^53,
-- so LuaJIT's doubles and Lua 5.4's integers are both exact (the baseline for lcg_wide).
local function main()
  local line = io.read("*l")
  local n = 10000000
  if line and line ~= "" then n = tonumber(line) end
  local m = 1
  for i = 1, 40 do m = m * 2 end
  local half = m / 2
  local x = 12345
  local high = 0
  for i = 0, n - 1 do
    x = (x * 31 + 7) % m
    if x >= half then high = high + 1 end
  end
  print(string.format("%d %d", x, high))
end

main()
