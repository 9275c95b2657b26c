-- PATCH /api/v1/items/<id> with a new description, ids drawn at random from the
-- file BENCH_IDS names.
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do
   ids[#ids + 1] = line
end

wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
   thread:set("thread_number", threads)
   threads = threads + 1
end

local counter = 0
function init(args)
   -- Otherwise every thread would draw the same sequence.
   math.randomseed(os.time() + 1000 * thread_number)
end

function request()
   counter = counter + 1
   local body = string.format('{"description": "patched %d"}', counter)
   return wrk.format("PATCH", "/api/v1/items/" .. ids[math.random(#ids)], nil, body)
end
