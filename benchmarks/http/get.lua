-- GET /api/v1/items/<id>, ids drawn at random from the file BENCH_IDS names;
-- signed in with the token BENCH_TOKEN gives, if it gives one.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. token
end

local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do
   ids[#ids + 1] = line
end

local threads = 0
function setup(thread)
   thread:set("thread_number", threads)
   threads = threads + 1
end

function init(args)
   -- Otherwise every thread would draw the same sequence.
   math.randomseed(os.time() + 1000 * thread_number)
end

function request()
   return wrk.format("GET", "/api/v1/items/" .. ids[math.random(#ids)])
end
