"""A page's errors stay on the server: malformed widget messages sent over a real Voila server's
websocket get no traceback back, nothing from the kernel's stderr reaches the browser, the page
shows a plain sentence and the server's log has the details."""

from __future__ import annotations

import json

from pages import form_url, open_form
from playwright.sync_api import expect
from ui_answers import newest_year

from mentorforms.records.roster import load_roster

#: Runs in the page: opens a second connection to the page's own kernel (as a hostile browser
#: could), lists the widget comms, sends each a set of malformed messages, and keeps every message
#: the kernel sends back on that connection.
_HOSTILE_SCRIPT = """
async () => {
  const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  const session = crypto.randomUUID();
  const url = `ws://${location.host}/api/kernels/${config.kernelId}/channels?session_id=${session}`;
  const socket = new WebSocket(url);
  const received = [];
  socket.onmessage = (event) => received.push(typeof event.data === "string" ? event.data : "<binary>");
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const send = (type, content) => {
    const id = crypto.randomUUID();
    socket.send(JSON.stringify({
      header: {msg_id: id, msg_type: type, session, username: "hostile", date: new Date().toISOString(),
               version: "5.3"},
      parent_header: {}, metadata: {}, content, channel: "shell", buffers: []}));
    return id;
  };
  const infoId = send("comm_info_request", {target_name: "jupyter.widget"});
  const deadline = Date.now() + 20000;
  let comms = null;
  while (comms === null && Date.now() < deadline) {
    for (const text of received) {
      const message = JSON.parse(text);
      if (message.parent_header && message.parent_header.msg_id === infoId && message.content.comms) {
        comms = Object.keys(message.content.comms);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const comm_id of (comms || []).slice(0, 40)) {
    send("comm_msg", {comm_id, data: {method: "update", state: "not a dict", buffer_paths: []}});
    send("comm_msg", {comm_id, data: {method: "update", state: {index: 99999, value: {"x": [1]}},
                                      buffer_paths: []}});
    send("comm_msg", {comm_id, data: {method: "no-such-method"}});
    send("comm_msg", {comm_id});
  }
  send("comm_msg", {comm_id: "no-such-comm", data: {method: "update", state: {}}});
  await new Promise((resolve) => setTimeout(resolve, 3000));
  socket.close();
  return {comms: (comms || []).length, received};
}
"""


def test_malformed_widget_messages_get_no_traceback_and_the_page_says_so_plainly(serve_as, page, browser_data):
    roster = load_roster(browser_data / "roster.xlsx")
    person = next(person for person in roster if person.has_role("faculty") and not person.has_role("chair"))
    base = serve_as(demo=True)
    frames: list[str] = []
    page.on("websocket", lambda socket: socket.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else "<binary>")))
    # A page with widgets (the landing page is rendered by the server, without any).
    open_form(page, form_url(base, "network_map", person.person_id, year=newest_year(browser_data).next,
                             as_=person.person_id))
    expect(page.locator(".mf-identity-line")).to_contain_text(person.name)

    result = page.evaluate(_HOSTILE_SCRIPT)
    assert result["comms"] > 3  # the page's widgets were found and sent garbage

    everything = frames + result["received"]
    for text in everything:
        assert "Traceback" not in text and "TraitError" not in text and str(browser_data) not in text, text[:500]
        if text.startswith("{"):
            message = json.loads(text)
            kind = message.get("msg_type") or message.get("header", {}).get("msg_type")
            assert kind != "error", text[:500]
            assert not (kind == "stream" and message["content"].get("name") == "stderr"), text[:500]
    expect(page.locator(".mf-failure-notice")).to_contain_text("Something went wrong on the server")
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and str(browser_data) not in body
    logs = "".join(server.log() for server in serve_as.servers.values())
    assert "a page callback failed" in logs and "Traceback" in logs
