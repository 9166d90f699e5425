"""The teacher's back office under /lesgeven/: the timetable, changing one date, her hours for
one-to-ones and her clients. It sits on top of the purposes (group, personal, intake) like the
client's "my bookings" page does, and calls their services; it holds no business rule of its own."""
