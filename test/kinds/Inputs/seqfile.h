/* A generic struct with an opaque slot, as struct seq_file has. */
struct seqf {
	void *private;
	unsigned long count;
	void *cursor;
};
