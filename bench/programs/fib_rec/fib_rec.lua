local function fib(n)
  if n < 2 then
    return n
  end
  return fib(n - 1) + fib(n - 2)
end

local function main()
  local line = io.read("*l")
  local n = 35
  if line and line ~= "" then n = tonumber(line) end
  print(fib(n))
end

main()
