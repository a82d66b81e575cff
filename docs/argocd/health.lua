-- Argo CD health check for serving.serval.dev/InferenceService.
-- Argo CD runs it with the live object in `obj` and reads the returned table's `status` and `message`.
-- Every Serval condition means good when True, so a False condition is Degraded, except the reasons that only
-- say the operator is still at work (Reconciling, RolloutProgressing).
local hs = {}
local progressingReasons = { Reconciling = true, RolloutProgressing = true }

local function condition(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  local text = c.type .. " is " .. tostring(c.status)
  if c.reason ~= nil and c.reason ~= "" then
    text = text .. " (" .. c.reason .. ")"
  end
  if c.message ~= nil and c.message ~= "" then
    text = text .. ": " .. c.message
  end
  return text
end

local status = obj.status
local generation = obj.metadata and obj.metadata.generation or nil
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
  return hs
end
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local conditions = status.conditions or {}
local canary = status.canaryRevision
if canary ~= nil and (canary.phase == "RolledBack" or canary.phase == "Failed") then
  local rollout = condition(conditions, "RolloutHealthy")
  hs.status = "Degraded"
  hs.message = "Rollout of revision " .. tostring(canary.name) .. " " .. string.lower(canary.phase)
  if rollout ~= nil and rollout.message ~= nil and rollout.message ~= "" then
    hs.message = hs.message .. ": " .. rollout.message
  end
  return hs
end

local waiting = nil
for _, c in ipairs(conditions) do
  if c.status == "False" then
    if progressingReasons[c.reason] then
      waiting = waiting or c
    else
      hs.status = "Degraded"
      hs.message = describe(c)
      return hs
    end
  elseif c.status ~= "True" then
    waiting = waiting or c
  end
end

if canary ~= nil and canary.phase == "Paused" then
  hs.status = "Suspended"
  hs.message = "Canary revision " .. tostring(canary.name) .. " pinned at " .. tostring(canary.trafficPercent) .. "% of the traffic"
  return hs
end
if canary ~= nil and canary.phase == "Progressing" then
  hs.status = "Progressing"
  hs.message = "Canary revision " .. tostring(canary.name) .. " at " .. tostring(canary.trafficPercent or 0) .. "% of the traffic"
  if canary.step ~= nil then
    hs.message = hs.message .. " (step " .. tostring(canary.step) .. ")"
  end
  return hs
end
if waiting ~= nil then
  hs.status = "Progressing"
  hs.message = describe(waiting)
  return hs
end

local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end
hs.status = "Progressing"
hs.message = "Waiting for the Ready condition"
return hs
