local function main()
  local line = io.read("*l")
  local n = 800
  if line and line ~= "" then n = tonumber(line) end
  local max_iter = 50
  local inside = 0
  local total_iter = 0
  for py = 0, n - 1 do
    local ci = 2.0 * py / n - 1.0
    for px = 0, n - 1 do
      local cr = 2.5 * px / n - 2.0
      local zr = 0.0
      local zi = 0.0
      local it = 0
      while it < max_iter and zr * zr + zi * zi <= 4.0 do
        local t = zr * zr - zi * zi + cr
        zi = 2.0 * zr * zi + ci
        zr = t
        it = it + 1
      end
      if it == max_iter then
        inside = inside + 1
      end
      total_iter = total_iter + it
    end
  end
  print(inside .. " " .. total_iter)
end

main()
