---------------------------------------------------------------------------------------------
-- aos's own line numbers (spec §5). aos's runtime chunks (.handlers, .process, .eval, .ao) are bundled
-- files whose lines differ from ours; contracts ship error texts and tracebacks that show them. A
-- runtime line marked `--@aos N` (harness/vm/runtimeImage.ts collects the marks) reports line N in
-- error locations and tracebacks; `--@aos N name` also shows the C function that line calls as `name`.
---------------------------------------------------------------------------------------------
local function aosline(chunk, line)
  local marks = aoslines[chunk]
  local mark = marks and marks[line]
  if mark == nil then return line end
  if type(mark) == "table" then return mark[1], mark[2] end
  return mark
end

local function relocate(chunk, line)
  local marks = aoslines[chunk]
  if not (marks and marks[tonumber(line)]) then return nil end -- gsub keeps the match
  return sformat('[string "%s"]:%d:', chunk, (aosline(chunk, tonumber(line))))
end

