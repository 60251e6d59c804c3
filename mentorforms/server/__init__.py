"""How pages' kernels come to exist on the server: a warm parent that forks them, and the
jupyter_client provisioner that asks it. Kept free of imports: a page kernel loads what it needs."""
