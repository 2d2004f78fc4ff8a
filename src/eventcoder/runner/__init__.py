"""Running the coder at scale: N local processes (`processes`), or a Ray cluster (`ray_runner`)."""
