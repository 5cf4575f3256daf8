/* A request whose state another TU's completion path stores. */
struct req {
	int state;
	unsigned int tag;
};

void req_finish(struct req *r, int s);
