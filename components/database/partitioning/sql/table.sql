SELECT scaling_toolkit.apply_table({{spec}});
