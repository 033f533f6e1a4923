local function main()
  local line = io.read("*l")
  local n = 8000
  if line and line ~= "" then n = tonumber(line) end
  local total = 0
  for r = 0, n - 1 do
    local xs = {}
    for i = 0, 999 do
      xs[#xs + 1] = (i * r + 7) % 1000
    end
    local s = 0
    for _, x in ipairs(xs) do
      s = s + x
    end
    for i = 0, 999 do
      s = s + xs[i + 1] * (i % 3)
    end
    total = total + s
  end
  print(total)
end

main()
