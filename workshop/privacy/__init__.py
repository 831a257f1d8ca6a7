"""Privacy: the organisation's privacy notice, and the retention rule that anonymises
participants' and stakeholders' names once an organisation's period has passed."""
