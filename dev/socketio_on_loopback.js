// Preloaded into Frappe's socket.io server by dev/up (node -r): it listens on 127.0.0.1 only, as the
// rest of the demo does. Frappe's server listens on a port alone, which Node binds on every interface.
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
