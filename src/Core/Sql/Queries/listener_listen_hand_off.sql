-- The worker's hand-off channel, on which producers send the jobs they hand to its offered slots (spliced and quoted
-- by Storage/ListenerStore.cs, like listener_listen.sql's channels).
LISTEN {{hand_off_channel}}
