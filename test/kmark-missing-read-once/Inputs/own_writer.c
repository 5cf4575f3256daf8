#include "own_writer.h"

void req_finish(struct req *r, int s)
{
	r->state = s;
}
