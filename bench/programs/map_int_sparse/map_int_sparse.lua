-- An int-keyed table of N entries, sparse keys (i * 48271 + 11) mod (2^31 - 1), distinct and scattered over 31 bits: fill it, then sum every value by
-- lookup; three rounds, each with a fresh table.
local function main()
  local line = io.read("*l")
  local n = 1000000
  if line and line ~= "" then n = tonumber(line) end
  local total = 0
  local size = 0
  for r = 0, 2 do
    local m = {}
    local count = 0
    for i = 0, n - 1 do
      local k = (i * 48271 + 11) % 2147483647
      if m[k] == nil then count = count + 1 end
      m[k] = i + r
    end
    local s = 0
    for i = 0, n - 1 do
      s = s + m[(i * 48271 + 11) % 2147483647]
    end
    total = total + s
    size = size + count
  end
  print(string.format("%d %d", size, total))
end

main()
