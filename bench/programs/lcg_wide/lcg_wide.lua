-- Linear congruential loop x = (x * 31 + 7) % m with m = 2^58: every value fits in 64 bits
-- but not in a double's 53-bit mantissa. Lua 5.4 computes on its native 64-bit integers;
-- LuaJIT (numbers are doubles) uses its FFI int64_t boxes, its only exact 64-bit integers
-- (sunk into registers by its trace compiler, heap-allocated under -joff).
local function main()
  local line = io.read("*l")
  local n = 10000000
  if line and line ~= "" then n = tonumber(line) end
  local one = 1
  if jit then one = require("ffi").new("int64_t", 1) end
  local m = one
  for i = 1, 58 do m = m * 2 end
  local half = m / 2
  local x = one * 12345
  local high = 0
  for i = 0, n - 1 do
    x = (x * 31 + 7) % m
    if x >= half then high = high + 1 end
  end
  -- LuaJIT prints an int64_t as "123LL"; strip the suffix so both print the same line.
  local xs = string.gsub(tostring(x), "LL$", "")
  print(xs .. " " .. high)
end

main()
