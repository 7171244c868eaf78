/* How the dashboard writes times, ages and JSON values: always as text, for x-text. */
window.Dashboard = window.Dashboard || {};

Dashboard.format = (() => {
    const pad = (n) => String(n).padStart(2, '0');

    /** An ISO instant in the browser's time zone, to the second: 2026-12-03 10:45:12. */
    function time(iso) {
        if (!iso) {
            return '';
        }
        const d = new Date(iso);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    }

    const both = (big, bigUnit, small, smallUnit) => `${big} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;

    /** A number of seconds as 45 s, 3 min 5 s, 2 h, 3 d 4 h. */
    function age(seconds) {
        if (seconds === undefined || seconds === null) {
            return '';
        }
        const s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return `${s} s`;
        }
        if (s < 3600) {
            return both(Math.floor(s / 60), 'min', s % 60, 's');
        }
        if (s < 86400) {
            return both(Math.floor(s / 3600), 'h', Math.floor(s % 3600 / 60), 'min');
        }
        return both(Math.floor(s / 86400), 'd', Math.floor(s % 86400 / 3600), 'h');
    }

    /** An ISO-8601 duration as the API writes them (PT10S, PT1H30M, P1D) in words; anything else as it is. */
    function duration(iso) {
        const parts = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(iso || '');
        if (!parts || iso === 'P' || iso.endsWith('T')) {
            return iso || '';
        }
        const [days, hours, minutes, seconds] = parts.slice(1).map((n) => Number(n || 0));
        return age(((days * 24 + hours) * 60 + minutes) * 60 + seconds);
    }

    /** How long ago an ISO instant was, as the browser's clock sees it. */
    function ago(iso) {
        return iso ? `${age((Date.now() - Date.parse(iso)) / 1000)} ago` : '';
    }

    /** A JSON value as indented text; a payload is shown as what it is, never as markup. */
    function json(value) {
        return value === undefined ? '' : JSON.stringify(value, null, 2);
    }

    /** An ISO instant as the value of an <input type="datetime-local"> (local time, to the minute). */
    function localInput(iso) {
        if (!iso) {
            return '';
        }
        const d = new Date(iso);
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }

    /** The value of a datetime-local input (local time) as an ISO instant, or '' when empty. */
    function instant(local) {
        return local ? new Date(local).toISOString() : '';
    }

    return { time, age, duration, ago, json, localInput, instant };
})();
