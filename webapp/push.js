'use strict';

// What the server pushes: its live figures from the _stats topic, and the messages of a topic the user subscribes to.
(() => {
    const TOPIC = /^[A-Za-z0-9._~-]{1,64}$/;
    const LOG_LIMIT = 200;
    const RETRY_MIN_MS = 1000;
    const RETRY_MAX_MS = 10000;

    const $ = (id) => document.getElementById(id);
    const decoder = new TextDecoder();

    /** ws: or wss: to this page's own server: /topics/{topic} beside the page. */
    function topicUrl(topic) {
        const url = new URL(`topics/${topic}`, location.href);
        url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
        url.search = '';
        url.hash = '';
        return url.href;
    }

    /**
     * A subscription that comes back by itself after a drop, 1 s, 2 s, 4 s … up to 10 s later, until it is stopped.
     * onMessage gets text as a string and binary as an ArrayBuffer; onState gets 'open', 'closed' and a description.
     */
    function subscription(topic, onMessage, onState) {
        let socket = null;
        let stopped = false;
        let attempt = 0;
        let timer = null;
        const open = () => {
            const ws = new WebSocket(topicUrl(topic));
            ws.binaryType = 'arraybuffer';
            ws.onopen = () => {
                attempt = 0;
                onState('open', 'yes');
            };
            ws.onmessage = (event) => onMessage(event.data);
            ws.onclose = (event) => {
                if (socket !== ws) {
                    return;
                }
                socket = null;
                const why = `${event.code}${event.reason ? ` ${event.reason}` : ''}`;
                if (stopped) {
                    onState('closed', 'no');
                    return;
                }
                const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt++);
                onState('reconnecting', `closed (${why}), again in ${delay / 1000} s`);
                timer = setTimeout(open, delay);
            };
            socket = ws;
        };
        open();
        return {
            send: (data) => socket !== null && socket.readyState === WebSocket.OPEN && (socket.send(data), true),
            stop: () => {
                stopped = true;
                clearTimeout(timer);
                if (socket !== null) {
                    socket.close(1000, 'Unsubscribed');
                } else {
                    onState('closed', 'no');
                }
            }
        };
    }

    // Live figures: rates from two snapshots a second or so apart.
    const figures = {
        open: $('live-open'), in: $('live-in'), out: $('live-out'), inRate: $('live-in-rate'),
        outRate: $('live-out-rate'), published: $('live-published'), deliveredRate: $('live-delivered-rate'),
        subscribers: $('live-subscribers'), status: $('live-status')
    };
    let last = null;
    const perSecond = (now, before, name, seconds) => Math.max(0, (now[name] - before[name]) / seconds).toFixed(0);
    subscription('_stats', (data) => {
        const now = JSON.parse(data);
        const at = performance.now();
        figures.open.textContent = String(now.openSessions);
        figures.in.textContent = String(now.messagesIn);
        figures.out.textContent = String(now.messagesOut);
        figures.published.textContent = String(now.messagesPublished);
        figures.subscribers.textContent = String(now.subscribers);
        if (last !== null) {
            const seconds = (at - last.at) / 1000;
            figures.inRate.textContent = perSecond(now, last.stats, 'messagesIn', seconds);
            figures.outRate.textContent = perSecond(now, last.stats, 'messagesOut', seconds);
            figures.deliveredRate.textContent = perSecond(now, last.stats, 'messagesDelivered', seconds);
        }
        last = {stats: now, at};
    }, (state, text) => {
        figures.status.dataset.state = state;
        figures.status.textContent = state === 'open' ? 'live' : text;
    });

    // The Topics panel.
    const ui = {
        subscription: $('subscription'), topic: $('topic'), unsubscribe: $('unsubscribe'), status: $('topic-status'),
        error: $('topic-error'), publisher: $('publisher'), publication: $('publication'), log: $('topic-log')
    };
    let current = null;

    function log(kind, text) {
        const entry = document.createElement('li');
        entry.className = kind;
        entry.textContent = text;
        ui.log.append(entry);
        while (ui.log.childElementCount > LOG_LIMIT) {
            ui.log.firstElementChild.remove();
        }
        ui.log.scrollTop = ui.log.scrollHeight;
    }

    function showError(text) {
        ui.error.textContent = text;
        ui.error.hidden = !text;
    }

    function setStatus(state, text) {
        ui.status.dataset.state = state;
        ui.status.textContent = text;
        ui.unsubscribe.disabled = current === null;
    }

    ui.subscription.addEventListener('submit', (event) => {
        event.preventDefault();
        const topic = ui.topic.value.trim();
        if (!TOPIC.test(topic)) {
            showError(`Not a topic name (1 to 64 of A-Z a-z 0-9 . _ ~ -): ${topic}`);
            return;
        }
        showError('');
        if (current !== null) {
            current.stop();
        }
        current = subscription(topic, (data) => {
            const text = typeof data === 'string' ? `text: ${data}`
                : `binary (${data.byteLength} bytes): ${decoder.decode(data)}`;
            log('received', `${topic}: ${text}`);
        }, (state, text) => setStatus(state, state === 'open' ? `yes, to ${topic}` : text));
    });
    ui.unsubscribe.addEventListener('click', () => {
        if (current !== null) {
            current.stop();
            current = null;
        }
        setStatus('closed', 'no');
    });
    ui.publisher.addEventListener('submit', (event) => {
        event.preventDefault();
        if (current === null || !current.send(ui.publication.value)) {
            showError('Subscribe to a topic first: the page publishes through its subscription.');
            return;
        }
        showError('');
        ui.publication.value = '';
    });
    setStatus('closed', 'no');
})();
