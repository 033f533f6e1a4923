-- Growing one string by repeated appends: N rounds, each builds a string with 2,000
-- `s = s .. t` steps of a two-character piece, then 2,000 `s = s .. tostring(i)` steps.
local function main()
  local line = io.read("*l")
  local n = 2000
  if line and line ~= "" then n = tonumber(line) end
  local t = "ab"
  local total = 0
  local hits = 0
  for r = 0, n - 1 do
    local s = ""
    for i = 0, 1999 do
      s = s .. t
    end
    for i = 0, 1999 do
      s = s .. tostring(i + r)
    end
    total = total + #s
    local mid = math.floor(#s / 2) + r % 7
    if string.sub(s, mid + 1, mid + 1) == "1" then
      hits = hits + 1
    end
  end
  print(total .. " " .. hits)
end

main()
