"""Real time: the edge executors, rooms, delivery of published events, the tally
coalescer, presence and staff sessions. Areas publish typed events; this delivers them."""
