# Voila reads this file (``--Voila.config_file_paths``, set by mentorforms.server.serve.launch); it is not
# imported by the package. Settings that Voila's command line cannot give as a dict live here.
import os

# Voila switches jupyter_server's Host check off (allow_remote_access=True); switch it back on, so
# a request whose Host header is not a loopback address, localhost or a name the operator gave
# (serve --host, passed as MENTORFORMS_HOSTS) is refused with 403: no DNS rebinding.
c = get_config()  # noqa: F821  (traitlets provides get_config in config files)
c.Voila.tornado_settings = {
    "allow_remote_access": False,
    "local_hostnames": ["localhost", *filter(None, os.environ.get("MENTORFORMS_HOSTS", "").split(","))],
}
