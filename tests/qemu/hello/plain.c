/* Section script check (run-hello.sh): an application with no RAM-state data links with or without the region. */
int main(void)
{
    return 0;
}
