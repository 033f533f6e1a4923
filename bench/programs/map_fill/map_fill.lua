local function main()
  local line = io.read("*l")
  local n = 1000000
  if line and line ~= "" then n = tonumber(line) end
  local m = {}
  local size = 0
  for i = 0, n - 1 do
    local k = (i * 7919) % n
    if m[k] == nil then
      size = size + 1
    end
    m[k] = i
  end
  local s = 0
  for i = 0, n - 1 do
    local k = (i * 31 + 3) % n
    local v = m[k]
    if v ~= nil then
      s = s + v
      m[k] = v + 1
    end
  end
  for i = 0, n - 1 do
    local k = (i * 17) % (2 * n)
    local v = m[k]
    if v ~= nil then
      s = s + v % 1000
    end
  end
  print(size .. " " .. s)
end

main()
