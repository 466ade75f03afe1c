# A fake systemd NOTIFY_SOCKET for SystemdNotifierTest: binds a Unix datagram
# socket (a path, or @name for an abstract address), prints "bound", then one
# line per datagram received, newlines escaped as "|", until killed.
import socket, sys

addr = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
print("bound", flush=True)
while True:
    data = s.recv(4096)
    print(data.decode("utf-8").rstrip("\n").replace("\n", "|"), flush=True)
