local function main()
  local line = io.read("*l")
  local n = 80000
  if line and line ~= "" then n = tonumber(line) end
  local total = 0
  local hits = 0
  for r = 0, n - 1 do
    local s = ""
    for i = 0, 99 do
      s = s .. tostring((i * r + 7) % 1000) .. ","
    end
    total = total + #s
    if string.sub(s, #s - 1, #s - 1) == "9" then
      hits = hits + 1
    end
  end
  print(total .. " " .. hits)
end

main()
