-- A big heap of small objects: a list of N short strings ("k" .. a decimal number), all live
-- at once, then one pass reading them back (total length, strings ending in "7").
local function main()
  local line = io.read("*l")
  local n = 2000000
  if line and line ~= "" then n = tonumber(line) end
  local xs = {}
  for i = 0, n - 1 do
    xs[#xs + 1] = "k" .. tostring(i * 7 % 1000003)
  end
  local total = 0
  local sevens = 0
  for _, s in ipairs(xs) do
    total = total + #s
    if string.sub(s, #s, #s) == "7" then
      sevens = sevens + 1
    end
  end
  print(#xs .. " " .. total .. " " .. sevens)
end

main()
