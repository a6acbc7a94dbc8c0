"""A mail server for the TLS tests of tests/integration/mail.c (aiosmtpd).

Usage: smtp.py PORT MAILDIR [--starttls CERT KEY] [--smtps CERT KEY]
               [--auth FILE]

Delivers into MAILDIR on 127.0.0.1:PORT. --starttls offers STARTTLS and
demands it before any mail; --smtps speaks TLS from the first byte;
--auth offers AUTH PLAIN and LOGIN even on a clear connection (as a careless
server would), accepts any password and appends each "user:password" it
receives to FILE, so that a test can tell whether a password travelled.
Runs until SIGTERM.
"""
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult


def tls_context(cert, key):
    """The server side of TLS with the given certificate."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def recorder(path):
    """An authenticator that accepts anyone and notes what it was given."""
    def authenticate(server, session, envelope, mechanism, data):
        with open(path, "a", encoding="utf-8") as f:
            f.write("%s:%s\n" % (data.login.decode(), data.password.decode()))
        return AuthResult(success=True)
    return authenticate


def main(argv):
    warnings.simplefilter("ignore")  # aiosmtpd's own deprecation notes
    port, maildir, rest = int(argv[1]), argv[2], argv[3:]
    kwargs, server = {}, {}
    while rest:
        option = rest.pop(0)
        if option == "--starttls":
            server["tls_context"] = tls_context(rest.pop(0), rest.pop(0))
            server["require_starttls"] = True
        elif option == "--smtps":
            kwargs["ssl_context"] = tls_context(rest.pop(0), rest.pop(0))
        elif option == "--auth":
            server["authenticator"] = recorder(rest.pop(0))
            server["auth_require_tls"] = False
        else:
            sys.exit("option inconnue : " + option)
    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port,
                            server_kwargs=server, **kwargs)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main(sys.argv)
