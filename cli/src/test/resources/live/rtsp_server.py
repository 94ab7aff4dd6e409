"""Test RTSP server: serves an H.264 mp4 at rtsp://127.0.0.1:PORT/live (loopback only), looping it.

usage: rtsp_server.py CLIP.mp4 PORT   (PORT 0: a free one). Prints "listening PORT" once it serves.
"""
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
clip, port = sys.argv[1], sys.argv[2]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( filesrc location=%s ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )" % clip)
factory.set_shared(True)
server.get_mount_points().add_factory("/live", factory)
if server.attach(None) == 0:
    sys.exit("cannot listen on 127.0.0.1:" + port)
print("listening", server.get_bound_port(), flush=True)
GLib.MainLoop().run()
