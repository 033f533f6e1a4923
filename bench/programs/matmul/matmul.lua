local function make(n, seed)
  local m = {}
  for i = 0, n - 1 do
    local row = {}
    for j = 0, n - 1 do
      row[#row + 1] = (i * j + seed * i + j) % 17 - 8
    end
    m[#m + 1] = row
  end
  return m
end

local function mul(a, b, n)
  local c = {}
  for i = 1, n do
    local ai = a[i]
    local row = {}
    for j = 1, n do
      local s = 0
      for k = 1, n do
        s = s + ai[k] * b[k][j]
      end
      row[#row + 1] = s
    end
    c[#c + 1] = row
  end
  return c
end

local function main()
  local line = io.read("*l")
  local n = 300
  if line and line ~= "" then n = tonumber(line) end
  local a = make(n, 3)
  local b = make(n, 5)
  local c = mul(a, b, n)
  local total = 0
  for i = 0, n - 1 do
    for j = 0, n - 1 do
      total = total + c[i + 1][j + 1] * ((i + 2 * j) % 7 + 1)
    end
  end
  print(total)
end

main()
