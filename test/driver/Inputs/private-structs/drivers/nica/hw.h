/* nica's own struct hw. */
struct hw {
	unsigned char *addr;
	unsigned int flags;
};
