local function sqrt_newton(x)
  if x <= 0.0 then
    return 0.0
  end
  local r = 1.0
  if x > 1.0 then r = x end
  while true do
    local nr = 0.5 * (r + x / r)
    if nr >= r then
      return r
    end
    r = nr
  end
end

local function trunc(x)
  if x >= 0 then return math.floor(x) else return math.ceil(x) end
end

-- i and j are 0-based, as in the other versions
local function eval_a(i, j)
  return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)
end

local function mul_av(v, n)
  local out = {}
  for i = 0, n - 1 do
    local s = 0.0
    for j = 0, n - 1 do
      s = s + eval_a(i, j) * v[j + 1]
    end
    out[#out + 1] = s
  end
  return out
end

local function mul_atv(v, n)
  local out = {}
  for i = 0, n - 1 do
    local s = 0.0
    for j = 0, n - 1 do
      s = s + eval_a(j, i) * v[j + 1]
    end
    out[#out + 1] = s
  end
  return out
end

local function mul_atav(v, n)
  return mul_atv(mul_av(v, n), n)
end

local function main()
  local line = io.read("*l")
  local n = 400
  if line and line ~= "" then n = tonumber(line) end
  local u = {}
  for i = 1, n do
    u[#u + 1] = 1.0
  end
  local v = {}
  for i = 1, 10 do
    v = mul_atav(u, n)
    u = mul_atav(v, n)
  end
  local vbv = 0.0
  local vv = 0.0
  for i = 1, n do
    vbv = vbv + u[i] * v[i]
    vv = vv + v[i] * v[i]
  end
  print(trunc(sqrt_newton(vbv / vv) * 1000000000.0))
end

main()
