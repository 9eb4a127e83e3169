// Preloaded into Frappe's socket.io server by dev/up and the live browser test (node -r): it listens on
// 127.0.0.1 only, as the rest of the demo does. Frappe's server listens on a port alone, which Node
// binds on every interface.
const net = require("node:net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
	if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
		const port = Number(args[0]);
		const callback = args.find((arg) => typeof arg === "function");
		return callback ? listen.call(this, port, "127.0.0.1", callback) : listen.call(this, port, "127.0.0.1");
	}
	return listen.apply(this, args);
};

// Frappe 16's server, when the bench is in developer mode, checks a browser's session by asking the web
// server on `webserver_port` instead of the page's own origin (frappe/realtime/utils.js). Here the desk
// is served on a port of its own (dev/up's, a test's), and the bench's developer mode is for the tests
// alone: the socket.io server asks the page's origin, as in production.
const Module = require("node:module");

const load = Module._load;
Module._load = function (request, ...rest) {
	const exports = load.call(this, request, ...rest);
	if (request.endsWith("node_utils") && exports.get_conf && !exports.get_conf.kam_origin) {
		const get_conf = exports.get_conf;
		exports.get_conf = Object.assign(
			(...args) => {
				const conf = get_conf(...args);
				delete conf.developer_mode;
				return conf;
			},
			{ kam_origin: true }
		);
	}
	return exports;
};
