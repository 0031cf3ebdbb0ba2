'use strict';

(() => {
    const LOG_LIMIT = 200;
    const SHOWN_CHARACTERS = 200;   // of each message in the log; the rest is summarised
    const BACKOFF_MIN_MS = 1000;
    const BACKOFF_MAX_MS = 10000;
    const BACKOFF_JITTER = 0.5;

    const $ = (id) => document.getElementById(id);
    const ui = {
        connection: $('connection'), url: $('url'), disconnect: $('disconnect'), status: $('status'),
        reconnect: $('reconnect'), error: $('error'), composer: $('composer'), message: $('message'),
        sendBinary: $('send-binary'), queued: $('queued'), log: $('log'), clear: $('clear')
    };
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();

    let socket = null;
    let wanted = false;          // the user wants a connection; false after Disconnect
    let attempt = 0;             // reconnection attempts since the last open connection
    let retryTimer = null;
    let closedText = 'closed';   // how the last connection ended, shown while no new one is under way
    const outbox = [];           // messages written while offline, sent after (re)connecting
    const awaitingEcho = [];     // messages sent, in order; the server echoes them in the same order

    /** ws: or wss: to the page's own server and context path, or the ?url= parameter when given. */
    function initialUrl() {
        const given = new URLSearchParams(location.search).get('url');
        if (given !== null) {
            return given;
        }
        const derived = new URL('echo', location.href);
        derived.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
        derived.search = '';
        derived.hash = '';
        return derived.href;
    }

    function validUrl(text) {
        let url;
        try {
            url = new URL(text);
        } catch (e) {
            return null;
        }
        return url.protocol === 'ws:' || url.protocol === 'wss:' ? text : null;
    }

    function showError(text) {
        ui.error.textContent = text;
        ui.error.hidden = !text;
    }

    function setStatus(state, text) {
        ui.status.dataset.state = state;
        ui.status.textContent = text;
        ui.disconnect.disabled = !wanted;
    }

    function log(kind, text) {
        const entry = document.createElement('li');
        entry.className = kind;
        const time = document.createElement('time');
        const now = new Date();
        time.dateTime = now.toISOString();
        time.textContent = now.toLocaleTimeString([], {hour12: false}) + '.'
            + String(now.getMilliseconds()).padStart(3, '0');
        entry.append(time, text);
        ui.log.append(entry);
        while (ui.log.childElementCount > LOG_LIMIT) {
            ui.log.firstElementChild.remove();
        }
        ui.log.scrollTop = ui.log.scrollHeight;
    }

    function shorten(text) {
        if (text.length <= SHOWN_CHARACTERS) {
            return text;
        }
        const end = /[\uD800-\uDBFF]/.test(text[SHOWN_CHARACTERS - 1]) ? SHOWN_CHARACTERS - 1 : SHOWN_CHARACTERS;
        return `${text.slice(0, end)}… (${text.length - end} more characters)`;
    }

    function describe(message) {
        return message.binary ? `binary (${message.data.byteLength} bytes): ${shorten(decoder.decode(message.data))}`
            : `text: ${shorten(message.data)}`;
    }

    function connect() {
        const url = validUrl(ui.url.value.trim());
        if (url === null) {
            wanted = false;
            showError(`Not a WebSocket URL (it must start with ws:// or wss://): ${ui.url.value}`);
            setStatus('closed', 'closed');
            return;
        }
        showError('');
        clearTimeout(retryTimer);
        wanted = true;
        setStatus('connecting', 'connecting');
        log('info', `Connecting to ${url}`);
        const ws = new WebSocket(url);
        ws.binaryType = 'arraybuffer';
        ws.onopen = () => {
            attempt = 0;
            setStatus('open', 'open');
            log('info', `Open: ${url}`);
            while (outbox.length > 0 && ws.readyState === WebSocket.OPEN) {
                transmit(ws, outbox.shift());
            }
            updateQueued();
        };
        ws.onmessage = (event) => {
            const binary = event.data instanceof ArrayBuffer;
            const sent = awaitingEcho.shift();
            const rtt = sent ? ` in ${Math.round(performance.now() - sent.at)} ms` : '';
            log('echo', `Echo${rtt}, ${describe({binary, data: event.data})}`);
        };
        ws.onclose = (event) => {
            if (socket !== ws) {
                return;
            }
            socket = null;
            const reason = event.reason ? ` ${event.reason}` : '';
            log('closed', `Closed: ${event.code}${reason}`);
            dropAwaitingEcho();
            closedText = `closed (${event.code}${reason})`;
            setStatus('closed', closedText);
            scheduleReconnect();
        };
        socket = ws;
    }

    function scheduleReconnect() {
        if (!wanted || !ui.reconnect.checked) {
            return;
        }
        const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
        const delay = Math.round(ceiling * (1 - BACKOFF_JITTER * Math.random()));
        attempt++;
        setStatus('reconnecting', `${closedText}, reconnecting in ${(delay / 1000).toFixed(1)} s`);
        retryTimer = setTimeout(connect, delay);
    }

    function disconnect() {
        wanted = false;
        clearTimeout(retryTimer);
        if (socket !== null) {
            socket.close(1000, 'Disconnected by the user');
        } else {
            setStatus('closed', closedText);
        }
    }

    function dropAwaitingEcho() {
        awaitingEcho.splice(0).forEach((lost) => log('error', `No echo for ${describe(lost)}`));
    }

    function transmit(ws, message) {
        ws.send(message.data);
        awaitingEcho.push({...message, at: performance.now()});
        log('sent', `Sent ${describe(message)}`);
    }

    function send(binary) {
        const text = ui.message.value;
        const message = {binary, data: binary ? encoder.encode(text).buffer : text};
        if (socket !== null && socket.readyState === WebSocket.OPEN) {
            transmit(socket, message);
        } else {
            outbox.push(message);
            log('info', `Queued ${describe(message)}`);
            updateQueued();
        }
        ui.message.value = '';
        ui.message.focus();
    }

    function updateQueued() {
        ui.queued.textContent = String(outbox.length);
    }

    ui.connection.addEventListener('submit', (event) => {
        event.preventDefault();
        if (socket !== null) {
            socket.onclose = null;
            socket.close(1000, 'Reconnecting');
            socket = null;
            dropAwaitingEcho();
        }
        attempt = 0;
        connect();
    });
    ui.disconnect.addEventListener('click', disconnect);
    ui.reconnect.addEventListener('change', () => {
        if (ui.reconnect.checked && wanted && socket === null) {
            scheduleReconnect();
        } else if (!ui.reconnect.checked && socket === null) {
            clearTimeout(retryTimer);
            setStatus('closed', closedText);
        }
    });
    ui.composer.addEventListener('submit', (event) => {
        event.preventDefault();
        send(false);
    });
    ui.sendBinary.addEventListener('click', () => send(true));
    ui.clear.addEventListener('click', () => ui.log.replaceChildren());

    ui.url.value = initialUrl();
    updateQueued();
    connect();
})();
