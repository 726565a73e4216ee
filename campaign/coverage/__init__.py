"""Coverage: registrations against census population (total and ages 16–60) per township, the city's targets,
the county's rank among the city's, the leaders' overview, and reconciliation of reported installs."""
