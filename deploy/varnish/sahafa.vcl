# Varnish in front of `sahafa serve`: readers' pages from memory, purged on publish.
#
#   varnishd -a :80 -f /path/to/sahafa.vcl -s malloc,256m -p http_gzip_support=off
#   SAHAFA_EDGE_PURGE_URL=http://127.0.0.1:80 sahafa serve --port 8000
#
# Sahafa's worker sends PURGE <path> after each change (through Wagtail's frontend
# cache module) and BAN / to forget everything; both only from the `purgers` below.
# A purged path loses every query variant it is stored under. With http_gzip_support
# off, Varnish keeps the app's own brotli, gzip and plain bodies (one object each,
# through Vary: Accept-Encoding) instead of gunzipping for every plain reader.
# Docs: docs/edge-cache.md.
vcl 4.1;

import std;

# The app node. Several: one backend each, and a round-robin director in vcl_init.
backend sahafa {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/robots.txt";
        .interval = 2s;
        .timeout = 2s;
        .window = 5;
        .threshold = 2;
    }
}

# Who may purge: the app nodes (their workers send the purges).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (!(client.ip ~ purgers)) {
            return (synth(405, "Not allowed"));
        }
        if (req.method == "BAN") {
            ban("obj.http.x-sahafa-path ~ .");
            return (synth(200, "Banned"));
        }
        ban("obj.http.x-sahafa-path == " + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The newsroom and anyone signed in to it: never from the cache.
    if (req.url ~ "^/(admin|django-admin|documents)/" ||
        req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' pages do not depend on their cookies (analytics and the like).
    unset req.http.Cookie;
    # Three codings, three objects at most per page, whatever browsers send.
    if (req.http.Accept-Encoding ~ "(^|,)\s*br\s*(;\s*q=(1|0\.0*[1-9])[0-9]*)?\s*(,|$)") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(^|,)\s*gzip\s*(;\s*q=(1|0\.0*[1-9])[0-9]*)?\s*(,|$)") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    # Keep only the query parameters that change the page, as the page cache does
    # (sahafa/delivery/cache_policy.py): a flood of others creates no objects.
    if (req.url ~ "\?") {
        if (req.url ~ "^/api/v1/") {
            # The API reads every parameter it is given and refuses (400, never
            # stored) any it does not know: sorted, the rest is the app's answer.
            set req.url = std.querysort(req.url);
        } elsif (req.url ~ "^/search/") {
            set req.url = regsuball(req.url, "([?&])(?!(?:q|section|author|tag|from|to|page)=)[^&]*", "\1");
            set req.url = regsuball(req.url, "&{2,}", "&");
            set req.url = regsub(req.url, "\?&+", "?");
            set req.url = std.querysort(regsub(req.url, "[?&]+$", ""));
        } elsif (req.url ~ "^/\?(?:.*&)?(?:p|page_id|attachment_id)=") {
            # WordPress's plain links on the home page (/?p=101): the app answers a
            # 301 or a 404 for each, never the home page (sahafa/news/redirects.py).
            set req.url = regsub(req.url, "^/\?(?:.*&)?((?:p|page_id|attachment_id)=[^&]*)(?:&.*)?$", "/?\1");
        } elsif (req.url ~ "[?&]page=[0-9]{1,6}(&|$)") {
            set req.url = regsub(req.url, "^([^?]*)\?(?:.*&)?(page=[0-9]{1,6})(?:&.*)?$", "\1?\2");
        } else {
            set req.url = regsub(req.url, "\?.*$", "");
        }
        set req.url = regsub(req.url, "\?page=1$", "");
    }
    # While the app answers, serve stale objects for the stale-while-revalidate
    # window only; when it does not, for as long as stale-if-error allows (grace).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The path an object was stored under, for purges by path (any query variant).
    set beresp.http.x-sahafa-path = regsub(bereq.url, "\?.*$", "");
    if (beresp.http.Cache-Control ~ "stale-if-error") {
        set beresp.grace = 24h;
    }
}

sub vcl_deliver {
    unset resp.http.x-sahafa-path;
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
