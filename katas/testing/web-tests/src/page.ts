/**
 * The page the app serves at `/`: plain HTML and a script, no build step.
 * The Socket.io client comes from the server itself (`/socket.io/socket.io.js`).
 *
 * What a person sees:
 * - signed out: a "Sign in" form (Email, Password). While the request runs the button
 *   is disabled; a refusal shows the server's message in an alert and enables it again;
 *   a server that cannot be reached is said in the alert too. The Email field is
 *   pre-filled with the last email signed in with on this browser (localStorage; the
 *   password is never stored).
 * - signed in: "Signed in as <name>" (a status), the "Notes" list (oldest first),
 *   and a form to add one ("New note", "Add note"). A note added by anyone appears in
 *   every signed-in page without a reload; text is shown as text, never as HTML.
 *   A refused note shows the server's message in the alert. "Sign out" ends the session
 *   on the server, so a reload shows the sign-in form again.
 */
export const pageHtml = String.raw`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Team notes</title>
  <style>[hidden] { display: none !important; } body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }</style>
</head>
<body>
  <h1>Team notes</h1>
  <p role="alert" id="error" hidden></p>

  <form id="login" hidden>
    <label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit" id="sign-in">Sign in</button>
  </form>

  <section id="board" hidden>
    <p role="status" id="who"></p>
    <button type="button" id="sign-out">Sign out</button>
    <ul aria-label="Notes" id="notes"></ul>
    <form id="add">
      <label for="note">New note</label> <input id="note" name="note" autocomplete="off">
      <button type="submit" id="add-note">Add note</button>
    </form>
  </section>

  <script src="/socket.io/socket.io.js"></script>
  <script>
    const $ = (id) => document.getElementById(id);

    function showError(message) {
      $('error').textContent = message;
      $('error').hidden = false;
    }
    function clearError() {
      $('error').hidden = true;
      $('error').textContent = '';
    }

    function addNote(note) {
      const item = document.createElement('li');
      // textContent, never innerHTML: a note is data, not markup.
      item.textContent = note.text;
      $('notes').append(item);
    }

    async function api(path, body) {
      const response = await fetch(path, body === undefined ? {} : {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { ok: response.ok, status: response.status, body: response.status === 204 ? null : await response.json() };
    }

    const unreachable = 'The server cannot be reached. Try again.';
    // Only the email is remembered: anything in localStorage is readable by any script on the page.
    const rememberedEmail = 'notes.email';
    let socket;

    function showSignIn() {
      $('board').hidden = true;
      $('notes').replaceChildren();
      $('email').value = localStorage.getItem(rememberedEmail) ?? '';
      $('password').value = '';
      $('login').hidden = false;
    }

    async function showBoard(name) {
      $('login').hidden = true;
      $('who').textContent = 'Signed in as ' + name;
      const notes = await api('/api/notes');
      $('notes').replaceChildren();
      notes.body.forEach(addNote);
      // Live updates: every note, ours included, arrives through this one event.
      socket = io({ transports: ['websocket'] });
      socket.on('note', addNote);
      $('board').hidden = false;
    }

    $('login').addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = $('sign-in');
      button.disabled = true;
      try {
        const answer = await api('/api/login', { email: $('email').value, password: $('password').value });
        if (!answer.ok) {
          showError(answer.body.message);
          return;
        }
        clearError();
        localStorage.setItem(rememberedEmail, $('email').value);
        await showBoard(answer.body.name);
      } catch {
        showError(unreachable);
      } finally {
        button.disabled = false;
      }
    });

    $('add').addEventListener('submit', async (event) => {
      event.preventDefault();
      let answer;
      try {
        answer = await api('/api/notes', { text: $('note').value });
      } catch {
        // The draft stays in the field, to send again once the server is back.
        showError(unreachable);
        return;
      }
      if (!answer.ok) {
        showError(answer.body.message);
        return;
      }
      clearError();
      $('note').value = '';
    });

    $('sign-out').addEventListener('click', async () => {
      try {
        await api('/api/logout', {});
      } catch {
        showError(unreachable);
        return;
      }
      socket.disconnect();
      clearError();
      showSignIn();
    });

    api('/api/me').then(
      (me) => (me.ok ? showBoard(me.body.name) : showSignIn()),
      () => {
        showSignIn();
        showError(unreachable);
      },
    );
  </script>
</body>
</html>
`;
