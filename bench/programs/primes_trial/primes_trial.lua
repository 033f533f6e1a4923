local function is_prime(k)
  if k < 2 then
    return false
  end
  if k % 2 == 0 then
    return k == 2
  end
  local d = 3
  while d * d <= k do
    if k % d == 0 then
      return false
    end
    d = d + 2
  end
  return true
end

local function main()
  local line = io.read("*l")
  local n = 800000
  if line and line ~= "" then n = tonumber(line) end
  local count = 0
  local last = 0
  for k = 0, n - 1 do
    if is_prime(k) then
      count = count + 1
      last = k
    end
  end
  print(count .. " " .. last)
end

main()
