-- The load of `make bench`: one wrk script for every row, chosen by the arguments after "--".
--
--   wrk ... -s bench/wrk.lua URL -- THREADS get PATH [fresh]
--       the same GET every time; "fresh" adds the bench-only header that skips the page cache
--   wrk ... -s bench/wrk.lua URL -- THREADS signed-in PATH FILE [fresh]
--       GET PATH as the clients of FILE in turn (a line: cookie TAB csrf token)
--   wrk ... -s bench/wrk.lua URL -- THREADS book PATH FILE [PAY_WITH]
--       POST a booking (paid with PAY_WITH: "card" unless given, or "membership") to PATH once for each client of FILE, never twice: thread n of
--       THREADS takes lines n, n + THREADS, n + 2 * THREADS, ...; a thread that runs out stops
--
-- done() prints one line, "BENCH-JSON {...}": answers by status, bookings and refusals, answers
-- served from the page cache (X-Page-Cache: hit), wrk's errors and the latency.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

-- Per thread (each wrk thread runs this file in a Lua state of its own).
statuses, booked, refused, cache_hits, exhausted = {}, 0, 0, 0, 0
local mode, path, clients, next_line, stride, fixed_request, fresh, pay_with

local function headers_for(client)
   local headers = {}
   if client then
      headers["Cookie"] = client.cookie
   end
   if fresh then
      headers["X-Bench-Fresh"] = "1"  -- skips the page cache, on the bench's server only (bench/fresh.py)
   end
   return headers
end

local function read_clients(file)
   local found = {}
   for line in io.lines(file) do
      local cookie, csrf = line:match("^([^\t]+)\t([^\t]+)$")
      if cookie then
         table.insert(found, {cookie = cookie, csrf = csrf})
      end
   end
   return found
end

function init(args)
   stride, mode, path = tonumber(args[1]), args[2], args[3]
   next_line = id
   if mode == "get" then
      fresh = args[4] == "fresh"
      fixed_request = wrk.format("GET", path, headers_for(nil))
   else
      if mode == "book" then
         pay_with = args[5] or "card"
      else
         fresh = args[5] == "fresh"
      end
      clients = read_clients(args[4])
   end
end

local function book()
   local client = clients[next_line]
   if client == nil then
      -- Every line of this thread has been sent once: stop rather than book with one again.
      exhausted = 1
      wrk.thread:stop()
      return wrk.format("GET", "/bench/trivial/")
   end
   next_line = next_line + stride
   return wrk.format("POST", path, {
      ["Cookie"] = client.cookie,
      ["X-CSRFToken"] = client.csrf,
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }, "pay_with=" .. pay_with)
end

function request()
   if mode == "get" then
      return fixed_request
   elseif mode == "book" then
      return book()
   end
   local client = clients[(next_line - 1) % #clients + 1]
   next_line = next_line + stride
   return wrk.format("GET", path, headers_for(client))
end

function response(status, headers, body)
   if exhausted == 1 and status == 200 then
      return  -- the stand-in request sent while stopping, not a booking
   end
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
   if headers["X-Page-Cache"] == "hit" then
      cache_hits = cache_hits + 1
   end
   if mode == "book" and status == 302 then
      -- As the booking view answers: a place sends the client to "my bookings", a refusal back to the class.
      local location = headers["Location"] or headers["location"] or ""
      if location:find("/mijn%-boekingen/") then
         booked = booked + 1
      elseif location:find("/boeken/") then
         refused = refused + 1
      end
   end
end

local function json_counts(counts)
   local parts = {}
   for key, count in pairs(counts) do
      table.insert(parts, string.format('"%s": %d', key, count))
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
   local all, totals = {}, {booked = 0, refused = 0, cache_hits = 0, exhausted_threads = 0}
   for _, thread in ipairs(threads) do
      for key, count in pairs(thread:get("statuses")) do
         all[key] = (all[key] or 0) + count
      end
      totals.booked = totals.booked + thread:get("booked")
      totals.refused = totals.refused + thread:get("refused")
      totals.cache_hits = totals.cache_hits + thread:get("cache_hits")
      totals.exhausted_threads = totals.exhausted_threads + thread:get("exhausted")
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_s": %.6f, "statuses": %s, "booked": %d, "refused": %d, '
         .. '"cache_hits": %d, "exhausted_threads": %d, "socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"status_errors": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
      summary.requests, summary.duration / 1e6, json_counts(all), totals.booked, totals.refused,
      totals.cache_hits, totals.exhausted_threads, errors.connect, errors.read, errors.write, errors.timeout,
      errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
