-- POST /api/v1/items, each with a name no other request of the benchmark uses:
-- the run's id (BENCH_RUN_ID, one per wrk run), the thread's number, a counter.
local run_id = os.getenv("BENCH_RUN_ID")

wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
   thread:set("thread_number", threads)
   threads = threads + 1
end

local counter = 0
function request()
   counter = counter + 1
   local body = string.format(
      '{"name": "bench-%s-%d-%d", "description": "posted by wrk"}',
      run_id, thread_number, counter)
   return wrk.format("POST", "/api/v1/items", nil, body)
end
