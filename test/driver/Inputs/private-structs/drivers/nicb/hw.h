/* nicb's own struct hw: the same name, another type. */
struct hw {
	unsigned char *addr;
	unsigned int flags;
};
