local function make(d)
  if d == 0 then
    return { false, false }
  end
  return { make(d - 1), make(d - 1) }
end

local function check(t)
  local left = t[1]
  if not left then
    return 1
  end
  return 1 + check(left) + check(t[2])
end

local function main()
  local line = io.read("*l")
  local n = 16
  if line and line ~= "" then n = tonumber(line) end
  local min_depth = 4
  local max_depth = min_depth + 2
  if n > max_depth then max_depth = n end
  local total = check(make(max_depth + 1))
  local long_lived = make(max_depth)
  local d = min_depth
  while d <= max_depth do
    local iters = 1
    for i = 1, max_depth - d + min_depth do
      iters = iters * 2
    end
    local c = 0
    for i = 1, iters do
      c = c + check(make(d))
    end
    total = total + c * (d + 1)
    d = d + 2
  end
  total = total + check(long_lived)
  print(total)
end

main()
