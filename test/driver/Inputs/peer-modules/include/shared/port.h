/* A port that every driver and the core work on. */
struct port {
	int mode;
	int speed;
	int state; /* written by a framework kmark does not index */
	int level;
};

/* An interface libport calls its drivers through. */
struct port_driver {
	void (*setup)(struct port *p);
	int (*level)(struct port *p);
};

/* One only built-in code calls through. */
struct port_debug {
	int (*show)(struct port *p);
};

void nicb_set_mode(struct port *p, int mode);
void core_set_speed(struct port *p, int speed);
int libport_attach(struct port *p);
void libport_probe(struct port *p, const struct port_driver *d);
void libhelp_log(struct port *p);

/* An inline wrapper of nicb's: a module that calls it calls nicb. */
static inline void port_reset(struct port *p)
{
	nicb_set_mode(p, 0);
}
