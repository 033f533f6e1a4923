local function main()
  local line = io.read("*l")
  local n = 4000000
  if line and line ~= "" then n = tonumber(line) end
  -- flags[i + 1] holds the flag of number i
  local limit = n + 1
  -- Grow the flag list by doubling (as the other versions do); only the
  -- first `limit` entries are used.
  local flags = { true }
  while #flags < limit do
    local m = #flags
    for i = 1, m do
      flags[m + i] = flags[i]
    end
  end
  local total = 0
  for rep = 0, 2 do
    for i = 0, n do
      flags[i + 1] = true
    end
    flags[1] = false
    flags[2] = false
    local i = 2
    while i * i <= n do
      if flags[i + 1] then
        local j = i * i
        while j <= n do
          flags[j + 1] = false
          j = j + i
        end
      end
      i = i + 1
    end
    local count = 0
    for k = 0, n do
      if flags[k + 1] then
        count = count + 1
      end
    end
    total = total + count
  end
  print(total)
end

main()
