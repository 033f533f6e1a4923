local function main()
  local line = io.read("*l")
  local n = 8000000
  if line and line ~= "" then n = tonumber(line) end
  local s = 0
  local p = 1
  for i = 0, n - 1 do
    s = (s + i * i) % 1000000007
    p = (p * (i % 7 + 1) + i) % 1000003
  end
  print(s + p)
end

main()
